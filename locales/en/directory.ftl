tile-directory = Directory
tile-directory-desc = Classes, teachers and students
directory-title = My directory
directory-my-classes = My classes and groups
directory-my-children = My children
directory-other-school = (another school: switch profile to see their class)
directory-classes-taught = My classes and groups
directory-classes = Classes and groups
directory-head-teacher = Head teacher
directory-none = Nothing to show.
directory-col-class = Class or group
directory-col-subject = Subject
directory-col-kind = Type
directory-col-mef = Year
directory-col-students = Students
directory-col-school = School
directory-col-city = Town
directory-col-teacher = Teacher
directory-kind-class = class
directory-kind-group = group
directory-region-schools = Schools of the region ({ $count })
directory-student-count = { $count ->
    [one] { $count } student
   *[other] { $count } students
}
directory-teachers = Teaching team
directory-students = Students
directory-back = Back to the directory
pagination = Pagination
pagination-previous = Previous page
pagination-next = Next page
directory-network = School network: { $name }
